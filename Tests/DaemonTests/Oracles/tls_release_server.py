"""A loopback HTTPS stand-in for GitHub's releases API, for the installer's TLS fetch tests.

Makes a throwaway CA and a certificate for 127.0.0.1 (Python `cryptography`, pinned in
scripts/oracles-requirements.txt), writes the CA to --ca-out, then serves every GET with the JSON in --body-file
(read at each request, so a test can change it) and appends each request head to --requests-out. Prints the port
to --port-out (written whole, by rename) once it listens.
"""
import argparse
import datetime
import ipaddress
import os
import ssl
import sys
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def certificate(subject, issuer, public_key, signing_key, ca, san=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ca-out", required=True)
    parser.add_argument("--body-file", required=True)
    parser.add_argument("--requests-out", required=True)
    parser.add_argument("--port-out", required=True)
    parser.add_argument("--name", default="127.0.0.1", help="the address the certificate names")
    arguments = parser.parse_args()

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("test release CA", "test release CA", ca_key.public_key(), ca_key, True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = certificate("release source", "test release CA", leaf_key.public_key(), ca_key, False,
                       [x509.IPAddress(ipaddress.ip_address(arguments.name))])
    with open(arguments.ca_out, "wb") as out:
        out.write(ca.public_bytes(serialization.Encoding.PEM))
    directory = tempfile.mkdtemp()
    chain = os.path.join(directory, "chain.pem")
    key = os.path.join(directory, "key.pem")
    with open(chain, "wb") as out:
        out.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(key, "wb") as out:
        out.write(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            with open(arguments.requests_out, "a") as log:
                log.write(self.requestline + "\n" + str(self.headers) + "\x1e\n")
            with open(arguments.body_file, "rb") as source:
                body = source.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(arguments.port_out + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(arguments.port_out + ".tmp", arguments.port_out)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
