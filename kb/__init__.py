"""Knowledge base: articles (services) and offices, loaded from YAML."""
