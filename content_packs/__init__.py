"""Sample content packs, shipped inside mcdesk as mcdesk.content_packs (see pyproject.toml)."""
