/* EC test keys (see ec_test_keys.h). */
#include "support/ec_test_keys.h"

static const char p256_a_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9qHfp6pkCPteNxuy\n"
    "gTuyrbQMXyXgoXNTSnI6tcp0+mihRANCAATrvWYB0+DUtBVZvpcEtaRJDjbDGr21\n"
    "RzEX8d97jnwNlk81GllWleUNUc5DkFkq89LheDx4u6aCMoD/HyPx6z/z\n"
    "-----END PRIVATE KEY-----\n";
static const char p256_a_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE671mAdPg1LQVWb6XBLWkSQ42wxq9\n"
    "tUcxF/Hfe458DZZPNRpZVpXlDVHOQ5BZKvPS4Xg8eLumgjKA/x8j8es/8w==\n"
    "-----END PUBLIC KEY-----\n";
static const char p256_b_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg34umKciYPfZZvR9a\n"
    "s0zBB8fX2RBdPscOks8GXf1BgUyhRANCAAQWmUEFUBt8tJsZTMPXW3gN+I3pSQt0\n"
    "7sk0D5FlwIQew3rbeE5WCVtjNa4anRU6QTC6OKH9T80IMHW7f5zAAxYW\n"
    "-----END PRIVATE KEY-----\n";
static const char p256_b_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFplBBVAbfLSbGUzD11t4DfiN6UkL\n"
    "dO7JNA+RZcCEHsN623hOVglbYzWuGp0VOkEwujih/U/NCDB1u3+cwAMWFg==\n"
    "-----END PUBLIC KEY-----\n";
static const char p256_c_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOYfCab6RoFl33v72\n"
    "oGHT0AHghozmylt9YgtnNh4PeuqhRANCAATKMgnMT4Lrb117V1B2g+Pndkoad8+B\n"
    "5xqEfb/Ohqz92COIvzBKOToSowRq7B0S4EF0xtNACGzaZeiQEEL7KjaH\n"
    "-----END PRIVATE KEY-----\n";
static const char p256_c_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEyjIJzE+C629de1dQdoPj53ZKGnfP\n"
    "gecahH2/zoas/dgjiL8wSjk6EqMEauwdEuBBdMbTQAhs2mXokBBC+yo2hw==\n"
    "-----END PUBLIC KEY-----\n";
static const char p384_a_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCRxfTamI7tDNg6sq1V\n"
    "Nnokpi8esQh8pN/yc8d0SvQ0b3ztOur32DZTQ9eqeNSWdWWhZANiAARwjYDJ+bwa\n"
    "XVWAqySXcyOm+kNa7ZWHPukfV08rNS1CJ1PpVUJ7Qby4I2sVnCKGOKdZ5HDPNZMu\n"
    "yFHSi9eb8zlrx25CcGyk3hjh0NT9wSnx+T3voljk731HWVrtdW1DT8k=\n"
    "-----END PRIVATE KEY-----\n";
static const char p384_a_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEcI2Ayfm8Gl1VgKskl3MjpvpDWu2Vhz7p\n"
    "H1dPKzUtQidT6VVCe0G8uCNrFZwihjinWeRwzzWTLshR0ovXm/M5a8duQnBspN4Y\n"
    "4dDU/cEp8fk976JY5O99R1la7XVtQ0/J\n"
    "-----END PUBLIC KEY-----\n";
static const char p384_b_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDlMZPHPT5DsQD4PX1z\n"
    "MAz/ySWCZAqAhtUeknZ/Nwc7Cbx7hpjC9v8lvOCZvLmtxu+hZANiAAQXiHFQ7cDz\n"
    "oyfMusjeB9PenVU4DiJH9kCvQ1+GjGj3k+F/IdN1MMmWnUKT/GZo+WvReVjNoXhq\n"
    "GkTsrHw32xsP1R9NZOGKVOR0RtefY9KEb3QqxVf6vGLTOvP9nfuE8xM=\n"
    "-----END PRIVATE KEY-----\n";
static const char p384_b_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEF4hxUO3A86MnzLrI3gfT3p1VOA4iR/ZA\n"
    "r0Nfhoxo95PhfyHTdTDJlp1Ck/xmaPlr0XlYzaF4ahpE7Kx8N9sbD9UfTWThilTk\n"
    "dEbXn2PShG90KsVX+rxi0zrz/Z37hPMT\n"
    "-----END PUBLIC KEY-----\n";
static const char p384_c_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDkfWAarBzGZC4h6QHO\n"
    "e6HbXeHCgFRPH075SNQN3xdcW6iIJkIaMu3FSKP7ii1s1cKhZANiAAT6B2UEMKNs\n"
    "FyBsX7dz5i9wMT7kyGL0WfxbgeDP2I2jdSR/bE+9sd20jzk0IMEutI2cPWyAmV+U\n"
    "xS9MnBc642heOIgFcT3FvCUlI897+w901kdlQqptwzYaugXTF6Z/T6U=\n"
    "-----END PRIVATE KEY-----\n";
static const char p384_c_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE+gdlBDCjbBcgbF+3c+YvcDE+5Mhi9Fn8\n"
    "W4Hgz9iNo3Ukf2xPvbHdtI85NCDBLrSNnD1sgJlflMUvTJwXOuNoXjiIBXE9xbwl\n"
    "JSPPe/sPdNZHZUKqbcM2GroF0xemf0+l\n"
    "-----END PUBLIC KEY-----\n";
static const char p521_a_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAyEiIan8no0frMlIl\n"
    "/U9sArixxsMmCWwnw7MCj7Iw5/57CP/r/KswlpJb9MNC0keXPswm3fdh+eDUOMOp\n"
    "a0P9DZ6hgYkDgYYABAF9rSo2sTqOSaG4iBZS7tnErKob8GJUoY0r+5YmBqUU45Kl\n"
    "TkJEfxlFJDZNDk+jw1RLsidqbz2j2HPoZSwErt+rYwEogOwmYh5UpR/onK6G9dup\n"
    "XBGkV2czdCTEzpws9Y+bDWlMsyccanTbE87wksYyWBVhOGW0DpCwUiS5nkd83Ted\n"
    "4g==\n"
    "-----END PRIVATE KEY-----\n";
static const char p521_a_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQBfa0qNrE6jkmhuIgWUu7ZxKyqG/Bi\n"
    "VKGNK/uWJgalFOOSpU5CRH8ZRSQ2TQ5Po8NUS7Inam89o9hz6GUsBK7fq2MBKIDs\n"
    "JmIeVKUf6JyuhvXbqVwRpFdnM3QkxM6cLPWPmw1pTLMnHGp02xPO8JLGMlgVYThl\n"
    "tA6QsFIkuZ5HfN03neI=\n"
    "-----END PUBLIC KEY-----\n";
static const char p521_b_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAZlW2XAbOG/6pURft\n"
    "C9yCV6cmf9PG1j66lnkMU8fZ3HzSIww9+Wklh0VfKobNbYLGargvkXdQ81uwPGSZ\n"
    "ZrVD93ShgYkDgYYABAFlM5O6yPHWWwdjPX4f/BXlw75KcwWnEsGS467190o/nzUD\n"
    "fsyxMdbXZSXg9adsehhWLBNXMGUP8Md8qiqmuoHzzwGOxe8ecD7JmMHmtXB0uJXl\n"
    "QIW7H4avl92Iv/VN7T6JElSL6DSirdYIAt7lvoDUTXgJeFcFXAvt3xYnZyCRNS9+\n"
    "Og==\n"
    "-----END PRIVATE KEY-----\n";
static const char p521_b_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQBZTOTusjx1lsHYz1+H/wV5cO+SnMF\n"
    "pxLBkuOu9fdKP581A37MsTHW12Ul4PWnbHoYViwTVzBlD/DHfKoqprqB888BjsXv\n"
    "HnA+yZjB5rVwdLiV5UCFux+Gr5fdiL/1Te0+iRJUi+g0oq3WCALe5b6A1E14CXhX\n"
    "BVwL7d8WJ2cgkTUvfjo=\n"
    "-----END PUBLIC KEY-----\n";
static const char p521_c_priv[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAZtWqwpDYV8iOp3VQ\n"
    "JkD5vxiteJkP4ys74RUBOdU9WXF7kWUstDO8BziTsoQqmSFZS/plj7VUZEHoRfl/\n"
    "/hP/WuqhgYkDgYYABABK3kNgzfIYk0Szb8YGTx3mJPq/wj9FL9H6mBa+J/x4uYsv\n"
    "EmkIzCyFJluEpFGukTNKiL2D2uSonRMW3VSvVM58sgAmm4dr5wm+umRLev9uq/e1\n"
    "aTK5qqEGeIANC3sutIpFdbZSBBRYBuyqJkOiPqjgUYs9eljFCEjGbC+Juq/vrPtJ\n"
    "9g==\n"
    "-----END PRIVATE KEY-----\n";
static const char p521_c_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQASt5DYM3yGJNEs2/GBk8d5iT6v8I/\n"
    "RS/R+pgWvif8eLmLLxJpCMwshSZbhKRRrpEzSoi9g9rkqJ0TFt1Ur1TOfLIAJpuH\n"
    "a+cJvrpkS3r/bqv3tWkyuaqhBniADQt7LrSKRXW2UgQUWAbsqiZDoj6o4FGLPXpY\n"
    "xQhIxmwvibqv76z7SfY=\n"
    "-----END PUBLIC KEY-----\n";
const ec_test_pair ec_test_keys[3][3] = {
    {{p256_a_priv, p256_a_pub}, {p256_b_priv, p256_b_pub}, {p256_c_priv, p256_c_pub}},
    {{p384_a_priv, p384_a_pub}, {p384_b_priv, p384_b_pub}, {p384_c_priv, p384_c_pub}},
    {{p521_a_priv, p521_a_pub}, {p521_b_priv, p521_b_pub}, {p521_c_priv, p521_c_pub}},
};
const char ec_test_p256_a_sec1[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIPah36eqZAj7XjcbsoE7sq20DF8l4KFzU0pyOrXKdPpooAoGCCqGSM49\n"
    "AwEHoUQDQgAE671mAdPg1LQVWb6XBLWkSQ42wxq9tUcxF/Hfe458DZZPNRpZVpXl\n"
    "DVHOQ5BZKvPS4Xg8eLumgjKA/x8j8es/8w==\n"
    "-----END EC PRIVATE KEY-----\n";
const char ec_vector_sender_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgw+7YSKEOEAh8/DFZ\n"
    "22oSTm/D3jo4nH5tN48IUp0WjyuhRANCAASnUgx7SrlHhPIn3McZfc3cEIs8+XFf\n"
    "7JvhcuV1wWELGZ8AjuwnKjE0ielEwSY5HYzWCF773FvJaWGYGYGhSba8\n"
    "-----END PRIVATE KEY-----\n";
const char ec_vector_recipient_der_b64[] =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWMX/wHhEbtmd1bQ6JKZQ7P2rbhiG1uyBoZJ2ytjD/"
    "jVf5m3GsZfF5IvRXoAbJcQmzOuimqDmUdWwsT6Rrm9mkg==";
