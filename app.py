"""`python app.py` serves the cockpit; on a fresh checkout it first generates demo data and
builds the marts (progress is printed)."""
from cockpit.web import serve

if __name__ == "__main__":
    serve()
