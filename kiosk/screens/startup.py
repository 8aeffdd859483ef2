"""The full-screen error the technician sees when the station cannot start on its record.

Shows a :class:`kiosk.startup.Problem`: what is wrong, which file, what to do. It holds no
session and offers nothing to record; Close ends the program (exit code 1).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.screens.config import Metrics
from kiosk.screens.i18n import tr
from kiosk.screens.style import REFUSE, button, label, stylesheet
from kiosk.startup import Problem


class ProblemScreen(QWidget):
    """One red title, the file, what to do, and Close."""

    def __init__(self, problem: Problem, metrics: Metrics) -> None:
        super().__init__()
        self.setObjectName("window")
        self.setStyleSheet(stylesheet(metrics))
        self.setWindowTitle(tr("Kiosk: cannot start"))
        layout = QVBoxLayout(self)
        margin = metrics.mm(10)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(metrics.mm(4))
        self.what = label(problem.what, role="title", wrap=True, name="problem-what")
        self.what.setStyleSheet(f"color: {REFUSE};")
        self.file = label(
            tr("File: {file}").format(file=problem.file),
            role="value",
            wrap=True,
            name="problem-file",
        )
        self.file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.todo = label(problem.todo, wrap=True, name="problem-todo")
        self.close_button = button(tr("Close"), metrics, role="danger", name="problem-close")
        self.close_button.clicked.connect(self.close)
        for widget in (self.what, self.file, self.todo):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
