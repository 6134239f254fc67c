"""The public figures (built in the public-site issue).

This app counts placements and never reads personal data."""
