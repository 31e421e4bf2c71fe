#ifndef LEX_822_H
#define LEX_822_H

/*
 * lex_822 - character classes of RFC 5322 (formerly RFC 822) addresses.
 *
 * LEX_822_SPECIALS are the characters that stand for themselves as tokens
 * outside quoted strings, comments and domain literals; LEX_822_QUOTED are
 * those that need a backslash inside a quoted string. Bytes with the high
 * bit set are ordinary atom characters: the tokenizer keeps UTF-8 intact.
 */

#define LEX_822_SPECIALS "()<>@,;:\\\".[]"
#define LEX_822_QUOTED "\"\\"

/* A byte that is white space between tokens (folding included). */
#define LEX_822_IS_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* A byte that may not appear unquoted in an atom besides the specials. */
#define LEX_822_IS_CTL(c) ((unsigned char)(c) < 32 || (unsigned char)(c) == 127)

#endif
