"""``kamergraph harvest``: Kamervragen from the official sources (the Tweede Kamer's OData API and
officielebekendmakingen), made into the same records a page gives, so the same mapping stores them."""
