"""Access-matrix entries for signatures; merged into ROUTES by test_access.py. The signing page is the recorders'
(a mentor's own learners only); an empty post is refused on the form (no consent ticked). Resetting a learner's
code is a coordinator's. The check by code is public, as the code is printed on paper."""

from .access_expect import expect


def a_week(world):
    return {"pk": world.assignment.pk, "day": f"{world.placement.start_date:%Y-%m-%d}"}


def a_week_of_the_flow(world):
    return {"pk": world.placement.pk, "day": f"{world.placement.start_date:%Y-%m-%d}"}


SIGNATURES_ROUTES = {
    "signatures:sign_week": (a_week, expect(302, 404, 200, 403, 200), expect(302, 404, 400, 403, 400)),
    "signatures:reset_code": (
        lambda w: {"pk": w.assignment.pk},
        expect(302, 403, 403, 403, 405),
        expect(302, 403, 403, 403, 302),
    ),
    "signatures:verify": (None, expect(200, 200, 200, 200, 200), expect(405, 405, 405, 405, 405)),
}


def an_allowance(world):
    from .access_routes_grants import an_allowance as make

    return make(world)


def a_host_link(world):
    from signatures import host_links

    _link, token = host_links.send_link(
        user=world.coordinator, assignment=world.assignment, name="Joana Costa", email="joana@host.example"
    )
    return {"token": token}


def a_paper_sheet(world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from attendance.models import week_start
    from signatures import paper

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    sheet = paper.keep_scan(
        user=world.coordinator,
        placement=world.placement,
        monday=week_start(world.placement.start_date),
        upload=SimpleUploadedFile("sheet.pdf", buffer.getvalue()),
    )
    return {"pk": sheet.pk}


# The learning agreement's page is the recorders' like the week's (an empty post is refused on the form); a
# receipt is signed on a coordinator's tablet; the link to the host and the paper scan are a coordinator's to
# send or upload (an empty post goes back to the page with a message); the host's page is public by its token
# (an empty post is refused on the form); a paper scan is the office's to download.
SIGNATURES_ROUTES |= {
    "signatures:sign_agreement": (
        lambda w: {"pk": w.assignment.pk},
        expect(302, 404, 200, 403, 200),
        expect(302, 404, 400, 403, 400),
    ),
    "signatures:sign_receipt": (an_allowance, expect(302, 403, 403, 403, 200), expect(302, 403, 403, 403, 400)),
    "signatures:send_host_link": (
        lambda w: {"pk": w.assignment.pk},
        expect(302, 403, 403, 403, 405),
        expect(302, 403, 403, 403, 302),
    ),
    "signatures:host_sign": (a_host_link, expect(200, 200, 200, 200, 200), expect(400, 400, 400, 400, 400)),
    "signatures:upload_paper": (a_week_of_the_flow, expect(302, 403, 403, 403, 405), expect(302, 403, 403, 403, 302)),
    "signatures:paper_sheet": (a_paper_sheet, expect(302, 403, 403, 200, 200), expect(302, 403, 403, 405, 405)),
}
