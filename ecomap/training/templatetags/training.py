from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def task_label(key):
    from ecomap.training.content import TASK_LABELS

    return TASK_LABELS.get(key, key)
