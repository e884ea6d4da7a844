extensions = ["course.sphinxext"]
language = "fr"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
