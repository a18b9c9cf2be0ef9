"""The wall screen's timers: a clock ticking every second (the city's time), the move to the next
playlist step after its interval, and the data reload at the refresh interval. All three run in
the browser; a move draws the next step in place (with fresh data), a reload is a page load."""
from __future__ import annotations

from dash import Input, Output, State, clientside_callback, dcc, html

from cockpit.config import city_zone
from cockpit.playlists import Screen


def screen_timers(screen: Screen) -> html.Div:
    rotate = screen.next_url is not None
    return html.Div([
        dcc.Interval(id="screen-tick", interval=1000),
        dcc.Interval(id="screen-rotate", interval=screen.every * 1000, disabled=not rotate, max_intervals=1),
        dcc.Store(id="screen-next", data=screen.next_url),
        dcc.Interval(id="screen-refresh", interval=screen.refresh * 1000, disabled=rotate, max_intervals=1),
    ], style={"display": "none"})


def clock() -> html.Span:
    return html.Span(id="screen-clock", className="screen-clock", **{"data-zone": city_zone().key})


clientside_callback(
    """
    function(n) {
        // Charts keep the type size of a 1920-wide screen: larger on a larger one (once, at load).
        const k = window.innerWidth / 1920;
        if (n === 1 && k > 1.2 && window.Plotly) {
            document.querySelectorAll('.screen-mode .js-plotly-plot').forEach(gd => {
                window.Plotly.relayout(gd, {'font.size': Math.round(18 * k)});
                gd.data.forEach((trace, i) => {  // a map's names have a size of their own
                    if (trace.textfont && typeof trace.textfont.size === 'number') {
                        window.Plotly.restyle(gd, {'textfont.size': Math.round(trace.textfont.size * k)}, [i]);
                    }
                });
            });
        }
        const zone = document.getElementById('screen-clock').dataset.zone;
        return new Date().toLocaleString('zh-CN', {timeZone: zone, hour12: false,
            year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'});
    }
    """,
    Output("screen-clock", "children"),
    Input("screen-tick", "n_intervals"),
)

# The next step replaces the page's content in place (the app's own navigation: the wall keeps
# showing this step until the next one is drawn, never a blank "Loading" page).
clientside_callback(
    """
    function(n, next) {
        if (!n || !next) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
        const url = new URL(next, window.location.origin);
        return [url.pathname, url.search];
    }
    """,
    Output("_pages_location", "pathname", allow_duplicate=True),
    Output("_pages_location", "search", allow_duplicate=True),
    Input("screen-rotate", "n_intervals"),
    State("screen-next", "data"),
    prevent_initial_call=True,
)

clientside_callback(
    """
    function(n) {
        if (n) { window.location.reload(); }
        return window.dash_clientside.no_update;
    }
    """,
    Output("screen-refresh", "disabled"),
    Input("screen-refresh", "n_intervals"),
    prevent_initial_call=True,
)
