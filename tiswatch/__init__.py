"""The application layer of tiswatch: the command line (`cli/`), the review desk (`web/`) and the
platforms' check API (`api/`). It sits on top of the libraries and only calls down:
tiswatch → crawler → pipelines → matchers → standards_data (see ARCHITECTURE.md)."""
