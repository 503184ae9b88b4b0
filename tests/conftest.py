import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["neo4j_fixtures"] if (Path(__file__).parent / "neo4j_fixtures.py").exists() else []
