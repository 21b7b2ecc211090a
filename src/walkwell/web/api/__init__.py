"""The JSON API under /api/v1/ (Django Ninja): the same services and selectors as the
pages, the same permission layer, errors as JSON with a message and the field."""
