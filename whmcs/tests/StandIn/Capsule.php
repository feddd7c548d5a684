<?php

declare(strict_types=1);

namespace WHMCS\Database;

/** WHMCS's Capsule is Laravel's Capsule Manager with the WHMCS database as its global connection. */
class Capsule extends \Illuminate\Database\Capsule\Manager
{
}
