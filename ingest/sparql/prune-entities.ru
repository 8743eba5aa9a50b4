# Entities first met in documents (persons, parties, cabinet posts in the entities graph) that no
# question graph refers to any more, after a replaced crawl dropped the last mention: removed.
#+ title: Prune entities
#+ param: entities (iri): the shared entities graph
PREFIX kg: <https://kamergraph.nl/def#>

DELETE { GRAPH ?entities { ?entity ?p ?o } }
WHERE {
  VALUES ?entities { UNDEF }
  GRAPH ?entities { ?entity a ?type ; ?p ?o }
  VALUES ?type { kg:Person kg:Party kg:CabinetPost }
  FILTER NOT EXISTS {
    GRAPH ?g { ?x ?link ?entity }
    FILTER(?g != ?entities)
  }
}
