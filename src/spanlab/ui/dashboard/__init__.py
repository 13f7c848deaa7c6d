"""Agreement dashboard and project overview (charts drawn with QPainter)."""
