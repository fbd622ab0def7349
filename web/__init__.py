"""Floor 3: the web layer. JSON API, Gradio chat, embeddable widget and their security settings.

Nothing here loads a model or an index: ``app.py`` builds those and passes them in.
"""
