"""The answers of the acceptance API (``...Public``), separate from the domain and the tables, so the
OpenAPI document says what comes back. Dates are ``YYYY-MM-DD`` (in China); instants are RFC 3339 in
China Standard Time (``+08:00``)."""
