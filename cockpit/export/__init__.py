"""Briefing packs: chart cards rendered again from their page and filters, print-resolution
images (kaleido with the system Chromium), a one-line narrative of each chart's key facts, and
the PPTX, PDF and ZIP files; built by background jobs that report progress."""
