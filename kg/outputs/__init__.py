"""Layer 4, outputs: analysis commands (networkx), exported tables, the report and the graph
page (templates/). Each imports the layers below, never another output."""
