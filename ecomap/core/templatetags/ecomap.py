from django import template

register = template.Library()


@register.filter
def has_required(form) -> bool:
    """Whether any visible field of `form` is required (to explain the * marker only when used)."""
    return any(field.field.required for field in form.visible_fields())


@register.filter
def get_item(mapping, key):
    """`row|get_item:key` for rows that are dicts."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """`?…&page=N`: the current query string (filters kept) with another page number."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
