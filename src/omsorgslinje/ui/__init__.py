"""Front ends that answer the engine's questions: the terminal (questionary), plain lines
(`--enkel`), and the loop that drives either of them through an interview."""
