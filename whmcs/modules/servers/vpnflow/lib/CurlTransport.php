<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * ext-curl with TLS verification always on: a vpnflow API behind a certificate WHMCS cannot verify is
 * a configuration error to fix, never something to switch off. Redirects are not followed, because a
 * redirected request would no longer match its signature.
 */
final class CurlTransport implements Transport
{
    public function send(HttpRequest $request): HttpResponse
    {
        $handle = curl_init($request->url);
        curl_setopt_array($handle, [
            CURLOPT_CUSTOMREQUEST => $request->method,
            CURLOPT_HTTPHEADER => $request->headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
            CURLOPT_SSL_VERIFYPEER => true,
            CURLOPT_SSL_VERIFYHOST => 2,
            CURLOPT_CONNECTTIMEOUT => $request->connectTimeoutSeconds,
            CURLOPT_TIMEOUT => $request->timeoutSeconds,
            CURLOPT_NOSIGNAL => true,
        ]);
        if ($request->method !== 'GET') {
            curl_setopt($handle, CURLOPT_POSTFIELDS, $request->body);
        }
        $body = curl_exec($handle);
        if ($body === false) {
            $error = curl_error($handle) ?: 'curl error ' . curl_errno($handle);
            curl_close($handle);
            throw new TransportFailure($request->url, $error);
        }
        $status = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        return new HttpResponse($status, (string) $body);
    }
}
