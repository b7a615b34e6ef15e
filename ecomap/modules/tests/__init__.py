from pathlib import Path

TEST_CONTENT = Path(__file__).parent / "content"
