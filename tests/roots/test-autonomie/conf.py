extensions = ["course.sphinxext"]
language = "fr"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
course_quiz_shuffle = False  # tests address options by their written order
