"""``{% export_url "csv" %}``: the current list page's address with its filters, asking for an export.

The page number is dropped (an export has every row the filters select) and ``export`` is set to the format;
``table`` names which of the page's tables, when it has several (``exports.export_response``).
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str, path: str = "", table: str = "") -> str:
    request = context["request"]
    query = request.GET.copy()
    for key in ("page", "export", "table"):
        query.pop(key, None)
    query["export"] = fmt
    if table:
        query["table"] = table
    return f"{path or request.path}?{query.urlencode()}"
