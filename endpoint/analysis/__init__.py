"""The analysis pages: named queries as pages, the who-asked-whom network, charts."""
