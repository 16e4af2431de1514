"""Never lost: two instances see each other's saves; edited files re-anchor; exports from the dialog."""

from __future__ import annotations

from annotations.document import load_document
from annotations.model import new_annotation
from annotations.store import open_store
from tests.tui.conftest import notifications
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

TEXT = "The minister said the bridge would open in May.\nCritics called the plan unrealistic.\n"


async def test_a_save_from_another_instance_shows_up(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        other = open_store(tmp_path / "db.json")
        other.add(new_annotation(load_document(tmp_path / "article.txt"), 4, 12, label="PERSON"))
        other.close()
        mine = app.screen.query_one(SidePanel).item_list("mine")
        for _ in range(50):  # the app polls the store file about once a second
            if [item.label for item in mine.items] == ["PERSON"]:
                break
            await pilot.pause(0.1)
        assert [item.label for item in mine.items] == ["PERSON"]


async def test_two_instances_on_one_store_lose_nothing(make_app, tmp_path):
    first, second = make_app(TEXT), make_app(TEXT)
    async with first.run_test(size=(100, 30)) as p1, second.run_test(size=(100, 30)) as p2:
        await p1.pause()
        await p2.pause()
        first.screen.query_one(ArticleView).select_range(0, 3)
        await p1.press("1")
        second.screen.query_one(ArticleView).select_range(4, 12)
        await p2.press("2")
        await p1.pause()
        await p2.pause()
    store = open_store(tmp_path / "db.json")
    assert sorted(a.label for a in store.annotations(first.document.sha256)) == ["ORG", "PERSON"]


async def test_edited_file_reanchors_and_says_how_many_moved_and_orphaned(make_app, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    store = open_store(tmp_path / "db.json")
    store.register_document(load_document(path))
    doc = load_document(path)
    store.add(new_annotation(doc, TEXT.index("bridge"), TEXT.index("bridge") + 6, label="CHECK"))
    store.add(new_annotation(doc, TEXT.index("unrealistic"), TEXT.index("unrealistic") + 11, label="OPINION"))
    store.close()
    path.write_text("Update: " + TEXT.replace("unrealistic", "bold"), encoding="utf-8")
    app = make_app(path=path)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        shown = notifications(app)
        assert "1 moved" in shown and "1 orphan" in shown
        mine = app.screen.query_one(SidePanel).item_list("mine")
        kinds = [item.kind for item in mine.items]
        assert kinds == ["user", "header", "orphan"]
        bridge = mine.items[0]
        assert app.document.text[bridge.start:bridge.end] == "bridge"


async def test_enter_in_my_annotations_jumps_and_filter_narrows(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        article = app.screen.query_one(ArticleView)
        second = TEXT.index("Critics")
        article.select_range(4, 12)
        await pilot.press("1")
        article.select_range(second, second + 7)
        await pilot.press("3")  # GPE, the third default label
        panel = app.screen.query_one(SidePanel)
        panel.show_tab("mine")
        await pilot.pause()
        mine = panel.item_list("mine")
        mine.focus()
        mine.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert article.cursor == second and article.has_focus
        panel.query_one("#mine-filter").value = "GPE"
        await pilot.pause()
        assert [item.label for item in mine.items] == ["GPE"]


async def test_e_exports_beside_the_article_and_reports_where(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(ArticleView).select_range(4, 12)
        await pilot.press("1", "e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Wrote" in notifications(app)
    written = tmp_path / "article.annotations.json"
    assert written.exists() and '"minister"' in written.read_text(encoding="utf-8")


async def test_export_to_an_unwritable_folder_shows_an_error_and_keeps_running(make_app, tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(blocker / "out.json")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert "Export failed" in str(app.screen.query_one("#export-error").render())


async def test_labels_file_sets_the_number_keys(make_app, tmp_path):
    from annotations.labels import load_labels

    labels_file = tmp_path / "labels.toml"
    labels_file.write_text('[labels.HERO]\ndescription = "the good one"\n', encoding="utf-8")
    app = make_app(TEXT, labels=load_labels(labels_file))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(ArticleView).select_range(4, 12)
        await pilot.press("1")
        await pilot.pause()
    store = open_store(tmp_path / "db.json")
    assert [a.label for a in store.annotations(app.document.sha256)] == ["HERO"]


async def test_the_reader_opens_the_checked_store_after_first_paint(tmp_path):
    # What `annotate FILE` does: the file is checked before the app, TinyDB opened after first paint.
    from annotations.store_file import read_store_file
    from tui.app import AnnotateApp

    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "db.json"
    app = AnnotateApp(load_document(path), store_file=read_store_file(db), run_analysis=False)
    assert app.store is None
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.store is not None and app.screen.ready
        app.screen.query_one(ArticleView).select_range(4, 12)
        await pilot.press("1")
        await pilot.pause()
    app.store.close()
    store = open_store(db)
    assert [(a.text, a.label) for a in store.annotations(app.document.sha256)] == [("minister", "PERSON")]
    store.close()


async def test_a_store_broken_after_the_check_ends_the_reader_with_its_exit_code(tmp_path):
    from annotations.store_file import read_store_file
    from tui.app import AnnotateApp

    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "db.json"
    checked = read_store_file(db)  # no file yet: fine
    db.write_bytes(b"null")  # another program writes before the reader opens the store
    app = AnnotateApp(load_document(path), store_file=checked, run_analysis=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 2
    assert "not a readable annotate database" in str(app.store_error)
    assert db.read_bytes() == b"null"


async def test_keys_in_the_first_milliseconds_do_not_break_the_reader(tmp_path):
    # The search bar, panel and store come after the first paint; escape (which closes the
    # search bar) and the annotation keys pressed before that must not crash the app.
    from annotations.store_file import read_store_file
    from tui.app import AnnotateApp

    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    app = AnnotateApp(load_document(path), store_file=read_store_file(tmp_path / "db.json"), run_analysis=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("escape", "x", "n", "slash", "tab", "ctrl+z")
        for _ in range(50):
            if app.reader.ready:
                break
            await pilot.pause(0.02)
        assert app.is_running and app.reader.ready
    app.store.close()
