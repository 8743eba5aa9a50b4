# Before a write that may change any list's entries (a SPARQL Update, a Graph Store request): every
# list's size is to be recounted (see recount-sizes.ru), should the recount after it not be made.
#+ title: Mark every list for a recount
#+ param: statistics (iri): the statistics graph
PREFIX kg: <https://kamergraph.nl/def#>

INSERT { GRAPH ?statistics { ?statistics kg:recountAllLists true } }
WHERE { VALUES ?statistics { UNDEF } }
