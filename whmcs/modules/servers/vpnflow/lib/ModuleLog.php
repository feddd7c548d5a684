<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * WHMCS's Module Log, with every credential masked before it is handed over: passwords, the shared
 * secret, client tokens, the L2TP pre-shared key and the OpenVPN profile (which may embed a private
 * key). WHMCS scrubs the strings passed as `$replaceVars` too, but masking here does not depend on it.
 */
final class ModuleLog
{
    public const MASK = '********';
    private const SECRET_KEYS = ['password', 'secret', 'token', 'ipsecsecret', 'profile', 'serverpassword', 'signature'];

    /**
     * @param list<string|null> $secrets values to scrub wherever they appear
     */
    public static function call(string $action, mixed $request, mixed $response, mixed $processed, array $secrets): void
    {
        $secrets = self::collect([$request, $response, $processed], array_values(array_filter(
            $secrets,
            static fn ($secret) => is_string($secret) && $secret !== '',
        )));
        logModuleCall(
            Module::NAME,
            $action,
            self::mask($request, $secrets),
            self::mask($response, $secrets),
            self::mask($processed, $secrets),
            $secrets,
        );
    }

    /** @param list<string> $secrets */
    public static function mask(mixed $value, array $secrets): mixed
    {
        if (is_array($value)) {
            $masked = [];
            foreach ($value as $key => $item) {
                $masked[$key] = is_string($key) && self::isSecretKey($key) && $item !== '' && $item !== null
                    ? self::MASK
                    : self::mask($item, $secrets);
            }
            return $masked;
        }
        if (is_string($value) && $secrets !== []) {
            return str_replace($secrets, self::MASK, $value);
        }
        return $value;
    }

    private static function isSecretKey(string $key): bool
    {
        return in_array(strtolower($key), self::SECRET_KEYS, true);
    }

    /**
     * Adds the values found under secret keys, so that the same value is also scrubbed where it
     * appears as plain text (a raw body, an error message).
     *
     * @param list<mixed> $values
     * @param list<string> $secrets
     * @return list<string>
     */
    private static function collect(array $values, array $secrets): array
    {
        array_walk_recursive($values, static function ($item, $key) use (&$secrets) {
            if (is_string($key) && self::isSecretKey($key) && is_string($item) && strlen($item) >= 4) {
                $secrets[] = $item;
            }
        });
        return array_values(array_unique($secrets));
    }
}
