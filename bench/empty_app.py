"""The load test's baseline: a Dash app with ONE empty callback (Input → Output, returns its input).

It costs what every Dash callback costs and nothing more (request parsing, the callback
dispatch, JSON in and out, the server's threads or workers), so the cockpit's figures divided by
its figures are the cockpit's own work. `bench/load.py` serves it the same way `python app.py`
serves the cockpit:

    python bench/empty_app.py --port 8060                     # Flask's server, as Dash's app.run
    python -m gunicorn -w 2 -k gthread --threads 4 -b 127.0.0.1:8060 bench.empty_app:server
"""
from __future__ import annotations

import argparse

from dash import Dash, Input, Output, dcc, html

app = Dash(__name__, title="empty callback", update_title=None, health_endpoint="health")  # as the cockpit
app.layout = html.Div([dcc.Input(id="in", value="ping"), html.Div(id="out")])
server = app.server  # for gunicorn


@app.callback(Output("out", "children"), Input("in", "value"))
def echo(value):
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8060)
    args = parser.parse_args()
    app.run(host="127.0.0.1", port=args.port, debug=False)  # the cockpit's own call before gunicorn
