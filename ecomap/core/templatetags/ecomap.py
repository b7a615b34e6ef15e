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
