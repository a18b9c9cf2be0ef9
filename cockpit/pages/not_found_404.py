"""Any unknown path."""
import dash
from dash import dcc, html

from cockpit.i18n import t

dash.register_page(__name__, title="404")


def layout(lang: str = "zh", **_):
    lang = "en" if lang == "en" else "zh"
    return html.Div([
        html.H1(t("page.not_found", lang), className="page-heading"),
        dcc.Link(t("page.back_home", lang), href="/" + ("?lang=en" if lang == "en" else "")),
    ], className="py-5")
