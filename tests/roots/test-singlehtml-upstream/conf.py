# A plain Sphinx project (no policy data): the singlehtml bugs
# policy_handbook.upstream.singlehtml_links works around. Tests add the extension.
project = "singlehtml links"
extensions = []
html_theme = "basic"
