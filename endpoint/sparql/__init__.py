"""The SPARQL 1.1 service: the Protocol at /sparql and the Graph Store Protocol at /store."""
