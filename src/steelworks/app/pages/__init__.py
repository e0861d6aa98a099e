"""One module per page: each has ``layout()`` and ``register(app)``; its callbacks are plain functions."""
