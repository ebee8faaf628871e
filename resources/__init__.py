"""Icons, translations and other resources, shipped inside mcdesk as mcdesk.resources (see pyproject.toml)."""
