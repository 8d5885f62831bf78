"""The OpenAPI operations of the catalogue API's views (webapp/core/json_api.py's `documented`)."""
from webapp.core.json_api import error_response, json_content

TAG = "catalogue"
VALIDATOR_HEADERS = {
    "ETag": {"description": "A hash of the body: send it back in If-None-Match to get a 304 while it is current.",
             "schema": {"type": "string"}},
}
LINK_HEADER = {"Link": {
    "description": 'RFC 8288 links with absolute URLs: rel="next" (while there is a next page) and rel="first".',
    "schema": {"type": "string"}}}
NOT_MODIFIED = {"description": "Not modified: the ETag sent in If-None-Match is current.", "headers": VALIDATOR_HEADERS}
UNUSABLE_ADDRESS = error_response("The address holds control characters or bytes that are not UTF-8.")


def list_operation(summary: str, description: str, args_schema, page_schema) -> dict:
    return {
        "tags": [TAG], "summary": summary, "description": description,
        "parameters": [{"in": "query", "schema": args_schema}],
        "responses": {
            "200": {"description": "One page of the list, in a stable order.", "content": json_content(page_schema),
                    "headers": {**VALIDATOR_HEADERS, **LINK_HEADER}},
            "304": NOT_MODIFIED,
            "400": error_response("A parameter has a value the API cannot use: the message says which."),
        },
    }


def detail_operation(summary: str, schema, key: str = "slug") -> dict:
    return {
        "tags": [TAG], "summary": summary,
        "responses": {
            "200": {"description": "The public record.", "content": json_content(schema), "headers": VALIDATOR_HEADERS},
            "301": {"description": f"An old {key} (or another spelling of a tag): Location is the current address.",
                    "headers": {"Location": {"schema": {"type": "string"}}}},
            "304": NOT_MODIFIED,
            "400": UNUSABLE_ADDRESS,
            "404": error_response(f"No public record has this {key} (drafts are never shown)."),
        },
    }
