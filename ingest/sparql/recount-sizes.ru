# The sizes of lists (kg:size) counted anew from their entries (kg:entry, in the question graphs),
# in one transaction: their old sizes go, a list with entries gets its count, one without gets no
# size, and the marks saying they were to be recounted (kg:recountList) go. With no list bound,
# every list is recounted and every mark goes. Without PREFIX: it follows a client's update in the
# same request (endpoint/runtime/write_process.py), where Oxigraph takes no prologue.
# The graph is a variable compared in a FILTER: bound by VALUES in GRAPH ?statistics, Oxigraph reads
# every mark or size of the graph for each chunk of lists instead of looking up the lists'.
#+ title: Recount list sizes
#+ param: statistics (iri): the statistics graph
#+ param: list (iri, optional): the lists to recount (many values); every list when unbound
#+ param: mark (iri, optional): the write whose marks of these lists go; every mark of them when unbound
DELETE { GRAPH ?statistics { ?list <https://kamergraph.nl/def#size> ?old } }
WHERE {
  VALUES ?statistics { UNDEF }
  VALUES ?list { UNDEF }
  GRAPH ?g { ?list <https://kamergraph.nl/def#size> ?old }
  FILTER(?g = ?statistics)
} ;
DELETE { GRAPH ?statistics { ?mark <https://kamergraph.nl/def#recountList> ?list } }
WHERE {
  VALUES ?statistics { UNDEF }
  VALUES ?list { UNDEF }
  VALUES ?mark { UNDEF }
  GRAPH ?g { ?mark <https://kamergraph.nl/def#recountList> ?list }
  FILTER(?g = ?statistics)
} ;
INSERT { GRAPH ?statistics { ?list <https://kamergraph.nl/def#size> ?size } }
WHERE {
  VALUES ?statistics { UNDEF }
  {
    SELECT ?list (COUNT(?entry) AS ?size) WHERE {
      VALUES ?list { UNDEF }
      GRAPH ?g { ?list <https://kamergraph.nl/def#entry> ?entry }
    }
    GROUP BY ?list
  }
}
