package dev.parley.server.auth;

/**
 * Why a verified-context token was refused, with the text its submitter reads in the documented
 * error body ({@code {"error": "..."}}, §13.16). Every refusal leaves the conversation as it was:
 * the context stays what it was before (none, or the last accepted one).
 */
public enum ContextRefusal {
    MALFORMED("Error: Context token is not a signed JWT"),
    NOT_HS256("Error: Context token must be signed with HS256"),
    NO_KEY_ID("Error: Context token has no kid"),
    UNKNOWN_KEY("Error: Unknown context key for this connector"),
    BAD_SIGNATURE("Error: Context token signature is invalid"),
    WRONG_SUBJECT("Error: Context token is for another conversation"),
    NO_TIMES("Error: Context token needs iat and exp"),
    TOO_LONG_LIVED("Error: Context token lifetime exceeds 30 seconds"),
    NOT_YET_VALID("Error: Context token is issued in the future"),
    EXPIRED("Error: Context token has expired"),
    NOT_FLAT("Error: Context token ctx must be a flat object of strings, numbers and booleans"),
    TOO_LARGE("Error: Context token ctx exceeds 8192 bytes");

    private final String message;

    ContextRefusal(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
