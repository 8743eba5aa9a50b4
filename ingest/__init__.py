"""From source documents to RDF: parse pages into records, map records to quads, load them."""
