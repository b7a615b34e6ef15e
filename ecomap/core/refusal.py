"""The one refusal: a domain rule said no, and the user is told why.

Every app's errors derive from `Refusal`, a Django `ValidationError`, so one error carries messages keyed
by field (or for the whole form) from a service to the page, the API and the command line alike:

    raise Refusal(_("The session date is in the future."))               # for the whole form
    raise Refusal({"due_on": _("The due date must be within a year.")})  # on a field

Rules that find several problems collect them first and refuse once, with every reason:

    problems = Problems()
    if not text:
        problems.add(_("Say what is to be done."), field="text")
    problems.refuse_if_any()

`refused(...)` is the one adapter a view uses: it puts the messages on the form's fields (or as
non-field errors) and renders the page again with 400, or 409 for a `Conflict`. A refusal never
changes anything: the service raises it before writing, inside its transaction.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import render


class Refusal(ValidationError):
    """A rule refused the change; `messages` are for the user, `message_dict` by field when known."""

    status = 400

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.messages)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.messages!r})"

    @property
    def reasons(self) -> list[str]:
        return [str(message) for message in self.messages]

    def by_field(self) -> dict[str, list[str]]:
        """The messages by field name, `NON_FIELD_ERRORS` for those about the whole."""
        if hasattr(self, "error_dict"):
            return {field: [str(m) for m in ValidationError(errors).messages]
                    for field, errors in self.error_dict.items()}
        return {NON_FIELD_ERRORS: self.reasons}


class Conflict(Refusal):
    """The record changed since it was read, or the change clashes with the record's state."""

    status = 409


class Problems:
    """Collects a rule's problems, by field, so the user hears all of them at once."""

    def __init__(self):
        self._by_field: dict[str, list[str]] = {}

    def add(self, message, field: str | None = None) -> None:
        self._by_field.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def __bool__(self) -> bool:
        return bool(self._by_field)

    def __len__(self) -> int:
        return sum(len(messages) for messages in self._by_field.values())

    def __iter__(self):
        for messages in self._by_field.values():
            yield from messages

    def refuse_if_any(self, error: type[Refusal] = Refusal) -> None:
        if not self._by_field:
            return
        if list(self._by_field) == [NON_FIELD_ERRORS]:
            raise error(list(self._by_field[NON_FIELD_ERRORS]))
        raise error({field: list(messages) for field, messages in self._by_field.items()})


def as_refusal(error: ValidationError) -> Refusal:
    """A Django `ValidationError` from `full_clean()` seen as a refusal (status 400)."""
    if isinstance(error, Refusal):
        return error
    if hasattr(error, "error_dict"):
        return Refusal(error.error_dict)
    return Refusal(error.error_list)


def apply_to_form(form, error: ValidationError) -> None:
    """Put each message on its field when the form has it, else among the non-field errors.

    `form` may be a list of the forms of one page: a message goes to the first that has its field,
    and the non-field errors to the first form."""
    error = as_refusal(error)
    forms = [] if form is None else list(form) if isinstance(form, (list, tuple)) else [form]
    if not forms:
        return
    for field, messages in error.by_field().items():
        target = next((f for f in forms if field in f.fields), None)
        if target is None:
            forms[0].add_error(None, messages)
        else:
            target.add_error(field, messages)


def refused(request, error: ValidationError, template: str, context: dict | None = None, *,
            form=None):
    """Render `template` again with the refusal shown, answering 400 (409 for a conflict).

    With a form (or a list of a page's forms), the messages go on its fields; without one, the page
    shows them in its alert box (`refusal` in the context, rendered by base.html).
    """
    error = as_refusal(error)
    context = dict(context or {})
    if form is not None:
        apply_to_form(form, error)
        context.setdefault("form", form[0] if isinstance(form, (list, tuple)) else form)
    else:
        context["refusal"] = error
    return render(request, template, context, status=error.status)
