"""The browser app (Gradio). It only presents; every answer comes from `rag.pipeline.Pipeline`."""
