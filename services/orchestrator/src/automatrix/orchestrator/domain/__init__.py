"""The gateway's pure logic: query classification, cache keys and the semantic-cache guard."""
