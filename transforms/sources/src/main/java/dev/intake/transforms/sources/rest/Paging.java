package dev.intake.transforms.sources.rest;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a spec's endpoint pages ({@code paginator:}), before a page size is chosen. Immutable and
 * serializable. The kinds, and the placeholders each binds beyond {@code window.*} and {@code
 * limit}:
 *
 * <ul>
 *   <li>{@code offset}: {@code ${offset}} (0, then + page size) and {@code ${page}};
 *   <li>{@code pageNumber}: {@code ${page}} ({@code firstPage}, default 1, then + 1) and {@code
 *       ${offset}};
 *   <li>{@code cursor} from a response field ({@code fromResponse}, a JSON path into the body) or
 *       from the last record ({@code fromRecord}, a record path): {@code ${cursor}};
 *   <li>{@code keyset} on ({@code field}, {@code tiebreak}), e.g. the update time then a unique
 *       id: {@code ${cursor}} is the last record's tiebreak, {@code ${cursor.field}} its field.
 *       A page whose last field value is before the previous page's does not advance.
 * </ul>
 */
final class Paging implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of paging. */
  enum Kind {
    OFFSET("offset", Set.of("offset", "page"), "offset"),
    PAGE_NUMBER("pageNumber", Set.of("offset", "page"), "page"),
    RESPONSE_CURSOR("cursor", Set.of("cursor"), "cursor"),
    RECORD_CURSOR("cursor", Set.of("cursor"), "cursor"),
    KEYSET("keyset", Set.of("cursor", "cursor.field"), "cursor");

    final String specName;
    /** The placeholders this kind binds beyond the window and the limit. */
    final Set<String> binds;
    /** The placeholder the requests must use for pages to advance. */
    final String advancesWith;

    Kind(String specName, Set<String> binds, String advancesWith) {
      this.specName = specName;
      this.binds = binds;
      this.advancesWith = advancesWith;
    }
  }

  final Kind kind;
  final int firstPage;
  /** The response path, the record path, or the keyset field. */
  final String path;
  final String tiebreak;
  /** Record paths identifying a version of a record, to see a repeated page (may be empty). */
  final List<String> identity;

  Paging(Kind kind, int firstPage, String path, String tiebreak, List<String> identity) {
    this.kind = kind;
    this.firstPage = firstPage;
    this.path = path;
    this.tiebreak = tiebreak;
    this.identity = List.copyOf(identity);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Paging p && kind == p.kind && firstPage == p.firstPage
        && Objects.equals(path, p.path) && Objects.equals(tiebreak, p.tiebreak)
        && identity.equals(p.identity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, firstPage, path, tiebreak, identity);
  }

  @Override
  public String toString() {
    return kind.specName + (path == null ? "" : " " + path)
        + (tiebreak == null ? "" : ", " + tiebreak);
  }
}
