"""The project's own labelled seed data (``classifier_seed.jsonl``); see docs/datasets.md."""
