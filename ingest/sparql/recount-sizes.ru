# The sizes of lists (kg:size) counted anew from their entries (kg:entry, in the question graphs),
# in one transaction: their old sizes go, a list with entries gets its count, one without gets no
# size, and the marks saying they were to be recounted (kg:recountList) go. With no list bound,
# every list is recounted and every mark goes, kg:recountAllLists too.
#+ title: Recount list sizes
#+ param: statistics (iri): the statistics graph
#+ param: list (iri, optional): the lists to recount (many values); every list when unbound
#+ param: mark (iri, optional): the write whose marks of these lists go; every mark of them when unbound
PREFIX kg: <https://kamergraph.nl/def#>

DELETE { GRAPH ?statistics { ?list kg:size ?old } }
WHERE {
  VALUES ?statistics { UNDEF }
  VALUES ?list { UNDEF }
  GRAPH ?statistics { ?list kg:size ?old }
} ;
DELETE { GRAPH ?statistics { ?mark kg:recountList ?list } }
WHERE {
  VALUES ?statistics { UNDEF }
  VALUES ?list { UNDEF }
  VALUES ?mark { UNDEF }
  GRAPH ?statistics { ?mark kg:recountList ?list }
} ;
INSERT { GRAPH ?statistics { ?list kg:size ?size } }
WHERE {
  VALUES ?statistics { UNDEF }
  {
    SELECT ?list (COUNT(?entry) AS ?size) WHERE {
      VALUES ?list { UNDEF }
      GRAPH ?g { ?list kg:entry ?entry }
    }
    GROUP BY ?list
  }
} ;
DELETE { GRAPH ?statistics { ?statistics kg:recountAllLists ?all } }
WHERE {
  VALUES ?statistics { UNDEF }
  VALUES ?list { UNDEF }
  FILTER(!BOUND(?list))
  GRAPH ?statistics { ?statistics kg:recountAllLists ?all }
}
