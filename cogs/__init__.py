"""Discord adapters: one cog per feature. They parse, call the domain and store, and render."""
