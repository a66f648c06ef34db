"""The web app: FastAPI + Jinja2 + HTMX, thin over the core."""
