"""Sealing a signed document as a PDF signature (PAdES, with pyHanko) with the school's certificate.

Configured by SIGNATURE_SEAL_KEY and SIGNATURE_SEAL_CERT (PEM files; the key unencrypted or with
SIGNATURE_SEAL_PASSPHRASE). Without them documents are not sealed. `manage.py make_demo_seal` makes a self-signed
certificate for the demo: a seal made with it shows the PDF is unchanged since this application made it, and is
not a qualified electronic seal (the certificate's name and the evidence page say so).
"""

import asyncio
import datetime
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

from django.conf import settings

DEMO_NAME = "DEMO seal - NOT a qualified electronic seal"


def configured():
    key, cert = settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT
    return bool(key and cert and Path(key).is_file() and Path(cert).is_file())


def is_demo():
    return configured() and DEMO_NAME in Path(settings.SIGNATURE_SEAL_CERT).read_text(errors="ignore")


def printed(states, name: str) -> dict:
    """What a printed document needs of its electronic signatures (SignatureStates): each signer's state by role
    under `name`, the evidence of those that stand (a void one is neither printed as signed nor sealed), and
    whether and how the PDF is sealed."""
    return {
        name: {state.role: state for state in states},
        "evidence": [state.event for state in states if state.signed],
        "sealed": configured(),
        "demo_seal": is_demo(),
    }


def seal(pdf: bytes, *, reason: str = "") -> bytes:
    """`pdf` with a PAdES signature of the configured certificate over all of it; unchanged when none is set."""
    if not configured():
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    passphrase = settings.SIGNATURE_SEAL_PASSPHRASE.encode() if settings.SIGNATURE_SEAL_PASSPHRASE else None
    signer = signers.SimpleSigner.load(
        settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT, key_passphrase=passphrase
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(field_name="Seal", reason=reason or None)
    return outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer).getvalue())


def outside_event_loop(work):
    """`work()`, in a thread of its own when this one runs an event loop: pyHanko's synchronous calls start one
    with asyncio.run(), which refuses to run inside another (an ASGI server, a Playwright session)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def make_demo_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key, named as a demonstration, valid for two years."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DEMO_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "demo-seal-key.pem", folder / "demo-seal-cert.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    # The name again in clear text before the PEM block, so that is_demo() needs no parsing.
    cert_path.write_bytes(f"# {DEMO_NAME}\n".encode() + cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path
