import { RESIDENT_ID_PROVINCES } from '../../platform/identity/index.ts';

/**
 * GB 11643-1999 in DuckDB SQL. The comparison validates tens of millions of IDs, so the check runs as
 * vectorised SQL inside DuckDB rather than row by row in JS; it must agree with the resident registry's
 * `validateResidentId` (platform/identity), which id-checks.test.ts verifies on generated IDs.
 */

// ISO 7064 MOD 11-2: weight of position i (1-based) is 2^(18-i) mod 11, and its inverse mod 11.
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const INVERSE_WEIGHTS: Readonly<Record<number, number>> = { 1: 1, 2: 6, 3: 4, 4: 3, 5: 9, 6: 2, 7: 8, 8: 7, 9: 5, 10: 10 };
/** Check character by weighted-sum residue: residue r → CHECK_CHARACTERS[r]. */
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH = 19000101;

// What JS `\s` matches (ECMAScript WhiteSpace and LineTerminator), which RE2's `\s` does not cover.
const WHITESPACE_CLASS = '[\\t\\n\\x{0B}\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]+';
// translate() with a 94-character map costs ~10 µs a call, so it runs only on text holding a full-width
// character; and text of printable ASCII without spaces (nearly every cell) skips the regular expressions.
const FULL_WIDTH = Array.from({ length: 0x5e }, (_, i) => String.fromCodePoint(0xff01 + i)).join('');
// Quotes doubled: both end up inside SQL string literals.
const HALF_WIDTH = Array.from({ length: 0x5e }, (_, i) => String.fromCodePoint(0x21 + i)).join('').replace("'", "''");

/**
 * The SQL macros of the comparison's text and ID handling. `latestBirthDate` (`YYYY-MM-DD`) is the
 * last acceptable birth date: the run's as-of date, or today when an extract is profiled on its own.
 *
 * - `fold_text(s)`: removes all whitespace and folds full-width ASCII to half-width, as
 *   `foldToHalfWidth` does (numbers typed with a Chinese IME arrive as `５００１０６…`).
 * - `id_clean(s)`: `normaliseResidentId` in SQL: folded, lower-case x made upper-case.
 * - `id_failure(c)`: for a cleaned ID, NULL when valid, else the `ResidentIdFailure` of the first
 *   failing check, in validateResidentId's order (EMPTY, LENGTH, FORMAT, AREA_CODE, BIRTH_DATE,
 *   CHECK_CHARACTER). For bulk loads {@link residentIdChecksSql} computes the same in fewer steps.
 * - `id_upgrade(c)`: the 18-character form of a cleaned ID that passed (15 digits get `19` and the
 *   computed check character).
 * - `name_key(s)`: a name as compared by the repair stage: no whitespace, half-width, upper case,
 *   one middle dot for the several in use (·•・‧).
 *
 * The checks work on the first 17 digits as one BIGINT (`id_number17`, read from the whole ID
 * without cutting a substring when it can): the weighted sum, the province and the birth date are
 * integer arithmetic on it, far cheaper than substrings.
 */
export function comparisonMacros(latestBirthDate: string): string {
  const latest = latestBirthDate.replaceAll('-', '');
  const provinces = Object.keys(RESIDENT_ID_PROVINCES).join(', ');
  const residueTerms = CHECK_WEIGHTS.map((weight, i) => `${weight} * ((v // ${10n ** BigInt(16 - i)}) % 10)`).join(' + ');
  return `
CREATE OR REPLACE MACRO fold_full_width(s) AS
  CASE WHEN regexp_matches(s, '[\\x{FF01}-\\x{FF5E}]') THEN translate(s, '${FULL_WIDTH}', '${HALF_WIDTH}') ELSE s END;
CREATE OR REPLACE MACRO is_plain_ascii(s) AS strlen(s) = length(s) AND NOT contains(s, ' ') AND NOT contains(s, chr(9)) AND NOT contains(s, chr(10))
  AND NOT contains(s, chr(11)) AND NOT contains(s, chr(12)) AND NOT contains(s, chr(13));
CREATE OR REPLACE MACRO fold_text(s) AS CASE WHEN s IS NULL THEN '' WHEN is_plain_ascii(s) THEN s
  ELSE fold_full_width(regexp_replace(s, '${WHITESPACE_CLASS}', '', 'g')) END;
CREATE OR REPLACE MACRO id_clean(s) AS replace(fold_text(s), 'x', 'X');
CREATE OR REPLACE MACRO id_is_well_formed(c) AS regexp_full_match(c, '[0-9]{17}[0-9X]|[0-9]{15}');
CREATE OR REPLACE MACRO id_first17(c) AS CASE WHEN length(c) = 18 THEN c[1:17] ELSE c[1:6] || '19' || c[7:15] END;
CREATE OR REPLACE MACRO id_number17(c) AS CASE
  WHEN length(c) = 18 THEN coalesce(TRY_CAST(c AS BIGINT) // 10, TRY_CAST(c[1:17] AS BIGINT))
  WHEN length(c) = 15 THEN TRY_CAST(c AS BIGINT) // 1000000000 * 100000000000 + 19000000000 + TRY_CAST(c AS BIGINT) % 1000000000 END;
CREATE OR REPLACE MACRO id_residue_n(v) AS (${residueTerms}) % 11;
CREATE OR REPLACE MACRO id_birth_ok_n(v) AS ${birthCheck('(v // 1000 % 100000000)', latest)};
CREATE OR REPLACE MACRO id_failure_of(c, size, is_well_formed, v, residue, is_birth_ok) AS CASE
  WHEN c = '' THEN 'EMPTY'
  WHEN size NOT IN (15, 18) THEN 'LENGTH'
  WHEN NOT is_well_formed THEN 'FORMAT'
  WHEN v // 1000000000000000 NOT IN (${provinces}) THEN 'AREA_CODE'
  WHEN NOT is_birth_ok THEN 'BIRTH_DATE'
  WHEN size = 18 AND c[18] <> '${CHECK_CHARACTERS}'[1 + residue] THEN 'CHECK_CHARACTER'
END;
CREATE OR REPLACE MACRO id_failure(c) AS
  id_failure_of(c, length(c), id_is_well_formed(c), id_number17(c), id_residue_n(id_number17(c)), id_birth_ok_n(id_number17(c)));
CREATE OR REPLACE MACRO id_upgrade(c) AS
  CASE WHEN length(c) = 18 THEN c ELSE id_first17(c) || '${CHECK_CHARACTERS}'[1 + id_residue_n(id_number17(c))] END;
CREATE OR REPLACE MACRO id_residue(f) AS id_residue_n(TRY_CAST(f AS BIGINT));
CREATE OR REPLACE MACRO name_key(s) AS upper(translate(fold_text(s), '•・‧', '···'));
`;
}

/** Whether the YYYYMMDD number `digits` is a real calendar date from 1900-01-01 to `latest`. */
function birthCheck(digits: string, latest: string): string {
  const year = `(${digits} // 10000)`;
  const month = `(${digits} // 100 % 100)`;
  const day = `(${digits} % 100)`;
  const isLeap = `((${year} % 4 = 0 AND ${year} % 100 <> 0) OR ${year} % 400 = 0)`;
  const monthDays = `CASE WHEN ${month} IN (4, 6, 9, 11) THEN 30 WHEN ${month} = 2 THEN CASE WHEN ${isLeap} THEN 29 ELSE 28 END ELSE 31 END`;
  return `(${month} BETWEEN 1 AND 12 AND ${day} BETWEEN 1 AND ${monthDays} AND ${digits} BETWEEN ${EARLIEST_BIRTH} AND ${latest})`;
}

/**
 * Adds `id_failure` and `id_norm` (the 18-character form, NULL unless valid) to `relation`, which
 * has a cleaned `id_clean`: the same checks as the `id_failure` macro, computed in stages so that
 * each part is evaluated once per row (a CASE over nested macros re-evaluates them, ~4× slower on
 * the 26 million IDs of a roll).
 */
export function residentIdChecksSql(relation: string): string {
  return `SELECT * EXCLUDE (id_size_, id_residue_),
           CASE WHEN id_failure IS NULL THEN CASE WHEN id_size_ = 18 THEN id_clean ELSE id_first17(id_clean) || '${CHECK_CHARACTERS}'[1 + id_residue_] END END AS id_norm
    FROM (SELECT * EXCLUDE (id_is_well_formed_, id_is_birth_ok_, id_v_),
                 id_failure_of(id_clean, id_size_, id_is_well_formed_, id_v_, id_residue_, id_is_birth_ok_) AS id_failure
          FROM (SELECT *, CASE WHEN id_is_well_formed_ THEN id_residue_n(id_v_) END AS id_residue_,
                       CASE WHEN id_is_well_formed_ THEN id_birth_ok_n(id_v_) END AS id_is_birth_ok_
                FROM (SELECT *, length(id_clean) AS id_size_, id_is_well_formed(id_clean) AS id_is_well_formed_, id_number17(id_clean) AS id_v_
                      FROM (${relation}))))`;
}

/**
 * SQL yielding the single-edit repair candidates of the IDs in `source` (a table or subquery with
 * `dataset, row_number, id_clean`): every one-digit substitution and every adjacent transposition of
 * the written ID that gives a valid ID (check character, province, birth date), as
 * `dataset, row_number, candidate` (the 18-character form) and `edit` (what was changed, for the
 * evidence).
 *
 * Edits are integer arithmetic on the first 17 digits as one number (a digit at place 10^k changes
 * the number by its difference × 10^k), and only valid candidates become strings. The check
 * character keeps 18-character IDs cheap: a substitution at position p passes only with the one digit
 * that restores the weighted sum (d = c_p + (t − r)·w_p⁻¹ mod 11, t being the written check
 * character's residue and r the sum's), and a valid ID has no single-substitution or in-17
 * transposition neighbour at all (MOD 11-2 catches every such error), only the 17↔18 swap.
 * 15-digit IDs carry no check character: all 135 substitutions and 14 transpositions are candidates.
 * Every candidate is validated in full, so the arithmetic is a filter, never the judge.
 */
export function repairCandidatesSql(source: string): string {
  // Position q of the written ID → place value of that digit in the 17-digit number (a 15-digit ID
  // gains "19" after position 6), its check weight and inverse, and the place of position q + 1.
  const rows: string[] = [];
  for (const size of [18, 15]) {
    const length = size === 18 ? 17 : 15;
    const place = (q: number) => 10n ** BigInt(17 - (size === 18 || q <= 6 ? q : q + 2));
    for (let q = 1; q <= length; q++) {
      const weight = CHECK_WEIGHTS[(size === 18 || q <= 6 ? q : q + 2) - 1]!;
      rows.push(`(${size}, ${q}, ${place(q)}, ${INVERSE_WEIGHTS[weight]}, ${q < length ? place(q + 1) : 'NULL'})`);
    }
  }
  const digitAt = (place: string) => `(v // ${place} % 10)`;
  const provinces = Object.keys(RESIDENT_ID_PROVINCES).join(', ');
  return `
WITH input AS (
  SELECT dataset, row_number, id_clean AS c, length(id_clean) AS size, id_number17(id_clean) AS v,
         id_residue_n(id_number17(id_clean)) AS r,
         CASE WHEN length(id_clean) = 18 THEN instr('${CHECK_CHARACTERS}', id_clean[18]) - 1 END AS t
  FROM ${source}
  WHERE id_is_well_formed(id_clean)),
positions(size, q, place, w_inverse, next_place) AS (VALUES ${rows.join(', ')}),
digits(d) AS (SELECT CAST(range AS BIGINT) FROM range(10)),
edits AS (
  -- 18 characters: in the first 17, the one digit restoring the check; none when the ID is valid (t = r).
  SELECT i.dataset, i.row_number, i.c, i.size, i.v, p.q, 'substitution' AS kind, ${digitAt('p.place')} AS old,
         ((${digitAt('p.place')} + (i.t - i.r) * p.w_inverse) % 11 + 11) % 11 AS new, p.place, NULL::BIGINT AS place2, i.c[18] AS check_written
  FROM input i JOIN positions p ON p.size = 18 WHERE i.size = 18 AND i.t <> i.r
  UNION ALL
  -- 18 characters: transposition of q and q + 1 inside the first 17 (kept only if the check then holds).
  SELECT i.dataset, i.row_number, i.c, i.size, i.v, p.q, 'transposition', ${digitAt('p.place')}, ${digitAt('p.next_place')}, p.place, p.next_place, i.c[18]
  FROM input i JOIN positions p ON p.size = 18 WHERE i.size = 18 AND i.t <> i.r AND p.next_place IS NOT NULL
  UNION ALL
  -- 18 characters: a wrong check character.
  SELECT dataset, row_number, c, size, v, 18, 'check', NULL, NULL, NULL, NULL, '${CHECK_CHARACTERS}'[1 + r] FROM input WHERE size = 18 AND t <> r
  UNION ALL
  -- 18 characters: the 17th digit swapped with a digit check character.
  SELECT dataset, row_number, c, size, v, 17, 'transposition', v % 10, TRY_CAST(c[18] AS BIGINT), 1, NULL, c[17]
  FROM input WHERE size = 18 AND c[18] <> 'X' AND c[17] <> c[18]
  UNION ALL
  -- 15 digits: every substitution and every transposition.
  SELECT i.dataset, i.row_number, i.c, i.size, i.v, p.q, 'substitution', ${digitAt('p.place')}, d.d, p.place, NULL, NULL
  FROM input i JOIN positions p ON p.size = 15, digits d WHERE i.size = 15
  UNION ALL
  SELECT i.dataset, i.row_number, i.c, i.size, i.v, p.q, 'transposition', ${digitAt('p.place')}, ${digitAt('p.next_place')}, p.place, p.next_place, NULL
  FROM input i JOIN positions p ON p.size = 15 WHERE i.size = 15 AND p.next_place IS NOT NULL),
moved AS (
  -- A substitution changes one place; a transposition of a and b moves b to a's place and a to the next.
  SELECT *, CASE kind WHEN 'check' THEN v
                      WHEN 'substitution' THEN v + (new - old) * place
                      ELSE v + (new - old) * place + (old - new) * coalesce(place2, 0) END AS moved_v
  FROM edits WHERE kind = 'check' OR (new <= 9 AND new <> old)),
valid AS (
  SELECT *, '${CHECK_CHARACTERS}'[1 + id_residue_n(moved_v)] AS check_character FROM moved
  WHERE moved_v // 1000000000000000 IN (${provinces}) AND id_birth_ok_n(moved_v))
SELECT dataset, row_number, lpad(CAST(moved_v AS VARCHAR), 17, '0') || check_character AS candidate,
       CASE kind WHEN 'substitution' THEN 'character ' || q || ': ' || old || ' → ' || new
                 WHEN 'check' THEN 'check character: ' || c[18] || ' → ' || check_written
                 ELSE 'characters ' || q || '–' || (q + 1) || ' swapped' END AS edit
FROM valid WHERE check_written IS NULL OR check_written = check_character`;
}
