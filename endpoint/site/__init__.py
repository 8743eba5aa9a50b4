"""The linked-data site: every minted IRI dereferenced, the browse pages, search, VoID, dumps."""
