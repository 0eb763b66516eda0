"""Operations: /metrics, rate limits, /ready and logs, against a live `pier serve` (SDK 2.x clients)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
