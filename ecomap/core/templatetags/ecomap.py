from django import template

register = template.Library()


@register.filter
def has_required(form) -> bool:
    """Whether any visible field of `form` is required (to explain the * marker only when used)."""
    return any(field.field.required for field in form.visible_fields())
